"""Who did what to which object, kept for reviews and legal."""
