"""The award's pages, one module per group: public (the archive and a cycle's page), api (the
public JSON API and its OpenAPI entries), common (loading the cycle in the path, page context);
this package re-exports nothing."""
