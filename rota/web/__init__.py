"""The rota's pages for carers, families and clients (server-rendered, htmx in place)."""
