; Imports in Go: one entry per import spec. Captures: @import, @module, @name (the alias).

(import_spec
  name: (_)? @name
  path: (_) @module) @import
