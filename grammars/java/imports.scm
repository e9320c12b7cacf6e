; Imports in Java. Captures: @import, @module (the package or class path), @name (the imported
; class or member, "*" for on-demand imports).

((import_declaration
  (scoped_identifier
    scope: (_) @module
    name: (identifier) @name)) @import
  (#not-match? @import "\\*\\s*;\\s*$"))

(import_declaration
  (scoped_identifier) @module
  (asterisk) @name) @import

(import_declaration
  (identifier) @module) @import
