; Imports in JavaScript, and in TypeScript and TSX, whose grammars extend it (they inherit this file).
; Captures: @import (the statement), @module (the specifier), @name (each imported name; optional),
; @alias (the local name of an `a as b` specifier, in the same match as its @name).

(import_statement
  (import_clause (identifier) @name)?
  source: (string) @module) @import

(import_statement
  (import_clause (named_imports (import_specifier name: (_) @name alias: (_)? @alias)))
  source: (string) @module) @import

(import_statement
  (import_clause (namespace_import (identifier) @name))
  source: (string) @module) @import

(export_statement
  (export_clause (export_specifier name: (_) @name alias: (_)? @alias))?
  source: (string) @module) @import

; `const`/`let` and `var` declarations alike: the declarator's parent is either declaration.
((_
  (variable_declarator
    name: [
      (identifier) @name
      (object_pattern (shorthand_property_identifier_pattern) @name)
      (object_pattern (pair_pattern key: (_) @name))
    ]
    value: (call_expression
      function: (identifier) @_require
      arguments: (arguments . (string) @module)))) @import
  (#eq? @_require "require"))

(call_expression
  function: (import)
  arguments: (arguments . (string) @module)) @import
