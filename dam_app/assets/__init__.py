"""Assets, their immutable versions, the stored blobs and derived renditions."""
