; Sourced files. Captures: @import, @module.

((command
  name: (command_name) @_cmd
  .
  argument: (_) @module) @import
  (#any-of? @_cmd "source" "."))
