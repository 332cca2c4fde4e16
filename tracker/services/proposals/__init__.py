"""A proposal's own services: new ideas and carry-overs (new_ideas), editing with merge and conflict
(editing), comments and mentions (comments), imported records (imports), the list and page
queries (queries), similar ideas (similar) and the text index they read (text_index). Stage moves
are the workflow table's (services/workflow.py)."""
