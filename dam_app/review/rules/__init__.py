"""Rule packs: what a market's advertising rules forbid or require in copy and in text on images."""
