; Includes. Captures: @import, @module (the path without quotes or angle brackets).

(preproc_include
  path: (_) @module) @import
