; References in Python. Captures: @name, @object, @reference.

(attribute
  object: (identifier) @object
  attribute: (identifier) @name) @reference

(identifier) @name @reference
