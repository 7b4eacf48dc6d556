"""RQ workers; `queues` is the only module that knows the queue backend."""
