"""ingest/fetch"""
