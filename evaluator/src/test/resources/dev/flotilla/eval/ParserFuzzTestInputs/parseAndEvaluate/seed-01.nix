rec { x = y: y + 1; z = x 2; w = ''
  ind ${toString z}
''; }