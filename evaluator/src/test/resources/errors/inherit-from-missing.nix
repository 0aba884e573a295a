let q = 1; in {
  b = 2;
  inherit ({ }) y;
}.y
