; References in Java. Captures: @name, @object, @reference.

(method_invocation
  object: (identifier) @object
  name: (identifier) @name) @reference

(field_access
  object: (identifier) @object
  field: (identifier) @name) @reference

(identifier) @name @reference
(type_identifier) @name @reference
