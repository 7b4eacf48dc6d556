"""Campaign boards: a kanban of asset requests (cards) across a campaign's phases and statuses."""
