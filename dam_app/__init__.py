"""dam_app: digital asset management for cross-border e-commerce marketing teams."""
