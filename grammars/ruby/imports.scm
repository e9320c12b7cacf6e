; require / require_relative / load. Captures: @import, @module.

((call
  method: (identifier) @_m
  arguments: (argument_list . (string) @module)) @import
  (#any-of? @_m "require" "require_relative" "load" "autoload"))
