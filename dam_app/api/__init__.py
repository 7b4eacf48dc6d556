"""REST API under /api/v1 (thin routes over the domain services), served by the Reflex process."""
