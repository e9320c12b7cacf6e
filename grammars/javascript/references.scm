; References in JavaScript. Captures: @name, @object, @reference.

(member_expression
  object: (identifier) @object
  property: (property_identifier) @name) @reference

(identifier) @name @reference
(shorthand_property_identifier) @name @reference
