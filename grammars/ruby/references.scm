; References in Ruby. Captures: @name, @object, @reference.

(call
  receiver: [(identifier) (constant)] @object
  method: (identifier) @name) @reference

(scope_resolution
  scope: (constant) @object
  name: (constant) @name) @reference

(identifier) @name @reference
(constant) @name @reference
