; Imports in Python. Captures: @import, @module, @name, @alias (the local name of `a as b`, in the
; same match as the @name or @module it renames).

(import_statement
  name: [
    (dotted_name) @module
    (aliased_import name: (dotted_name) @module alias: (identifier) @alias)
  ]) @import

(import_from_statement
  module_name: (_) @module
  name: [
    (dotted_name) @name
    (aliased_import name: (dotted_name) @name alias: (identifier) @alias)
  ]?) @import

(import_from_statement
  module_name: (_) @module
  (wildcard_import) @name) @import
