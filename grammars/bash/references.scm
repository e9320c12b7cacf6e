; References in Bash: commands called and variables expanded. Captures: @name, @reference.

(command
  name: (command_name (word) @name)) @reference

(simple_expansion (variable_name) @name) @reference
(expansion (variable_name) @name) @reference
