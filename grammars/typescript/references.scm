; References: identifiers and member accesses used in a range. Captures: @name (the used name),
; @object (for `a.b`, the plain identifier `a`), @reference (the whole use).

(member_expression
  object: (identifier) @object
  property: (property_identifier) @name) @reference

(nested_type_identifier
  module: (identifier) @object
  name: (type_identifier) @name) @reference

(identifier) @name @reference
(type_identifier) @name @reference
(shorthand_property_identifier) @name @reference
