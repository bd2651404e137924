"""The platform core.

Importing it bounds the integers in every route's path (core.routing.IdConvertor): each domain
imports core before it declares its routes."""

from core.routing import bound_path_integers

bound_path_integers()
