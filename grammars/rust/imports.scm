; Imports in Rust. Captures: @import, @module (the path before the imported names), @name.

(use_declaration
  argument: (scoped_identifier
    path: (_) @module
    name: (identifier) @name)) @import

(use_declaration
  argument: (use_as_clause
    path: (scoped_identifier
      path: (_) @module
      name: (identifier) @name))) @import

(use_declaration
  argument: (scoped_use_list
    path: (_) @module
    list: (use_list
      [
        (identifier) @name
        (self) @name
        (use_as_clause path: (_) @name)
        (scoped_identifier) @name
        (scoped_use_list) @name
        (use_wildcard) @name
      ]))) @import

(use_declaration
  argument: (use_wildcard
    (_) @module
    "*" @name)) @import

(use_declaration
  argument: [(identifier) (crate) (self) (super)] @module) @import

(mod_item
  name: (identifier) @module
  !body) @import

(extern_crate_declaration
  name: (identifier) @module) @import
