; Imports. Captures: @import (the statement), @module (the specifier, quotes are stripped),
; @name (each imported name; optional).

(import_statement
  (import_clause (identifier) @name)?
  source: (string) @module) @import

(import_statement
  (import_clause (named_imports (import_specifier name: (_) @name)))
  source: (string) @module) @import

(import_statement
  (import_clause (namespace_import (identifier) @name))
  source: (string) @module) @import

(export_statement
  (export_clause (export_specifier name: (_) @name))?
  source: (string) @module) @import

(lexical_declaration
  (variable_declarator
    name: [
      (identifier) @name
      (object_pattern (shorthand_property_identifier_pattern) @name)
      (object_pattern (pair_pattern key: (_) @name))
    ]
    value: (call_expression
      function: (identifier) @_require
      arguments: (arguments . (string) @module)))
  (#eq? @_require "require")) @import

(call_expression
  function: (import)
  arguments: (arguments . (string) @module)) @import
