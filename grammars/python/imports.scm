; Imports in Python. Captures: @import, @module, @name.

(import_statement
  name: [
    (dotted_name) @module
    (aliased_import name: (dotted_name) @module)
  ]) @import

(import_from_statement
  module_name: (_) @module
  name: [
    (dotted_name) @name
    (aliased_import name: (dotted_name) @name)
  ]?) @import

(import_from_statement
  module_name: (_) @module
  (wildcard_import) @name) @import
