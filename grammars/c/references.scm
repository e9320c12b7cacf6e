; References in C. Captures: @name, @object, @reference.

(field_expression
  argument: (identifier) @object
  field: (field_identifier) @name) @reference

(identifier) @name @reference
(type_identifier) @name @reference
