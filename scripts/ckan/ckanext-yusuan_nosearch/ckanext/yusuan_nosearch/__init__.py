"""CKAN plugin ``yusuan_nosearch``: search answered from PostgreSQL, no Solr needed."""
