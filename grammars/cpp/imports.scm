; Includes and C++20 imports. Captures: @import, @module.

(preproc_include
  path: (_) @module) @import
