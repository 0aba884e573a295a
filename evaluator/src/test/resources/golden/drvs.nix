# Vectors from specs/nix-store-formats.md §4.9 (store dir /nix/store).
let
  sys = "x86_64-linux";
  simple = derivation { name = "simple"; system = sys; builder = "/bin/sh"; args = [ "-c" "echo hello > $out" ]; };
  multi = derivation { name = "multi"; system = sys; builder = "/bin/sh"; outputs = [ "out" "dev" ]; args = [ "-c" "echo out > $out; echo dev > $dev" ]; };
  dep = derivation { name = "dep"; system = sys; builder = "/bin/sh"; args = [ "-c" "echo ${simple} > $out" ]; };
  fod = derivation {
    name = "fod.txt"; system = sys; builder = "/bin/sh"; args = [ "-c" "echo hello > $out" ];
    outputHashMode = "flat"; outputHashAlgo = "sha256";
    outputHash = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
  };
  fod2 = derivation {
    name = "fod.txt"; system = sys; builder = "/bin/sh"; args = [ "-c" "printf 'hello\\n' > $out" ];
    outputHash = "sha256-WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM=";
  };
  useFod = f: derivation { name = "use-fod"; system = sys; builder = "/bin/sh"; args = [ "-c" "/bin/cat ${f} > $out" ]; };
  fodr = derivation {
    name = "fodr"; system = sys; builder = "/bin/sh"; args = [ "-c" "/bin/mkdir $out; echo hello > $out/hello.txt" ];
    outputHashMode = "recursive"; outputHashAlgo = "sha256";
    outputHash = "01ck5rvyzqybzm60d7600qxnf699pxcdy4743f8li7mb5y0ckn4b";
  };
  selfref = derivation { name = "selfref"; system = sys; builder = "/bin/sh"; args = [ "-c" "echo $out > $out" ]; };
  hashonly = derivation { name = "hashonly"; system = sys; builder = "/bin/sh"; args = [ "-c" "echo prefix-${builtins.substring 11 32 simple.outPath}-suffix > $out" ]; };
  notinput = derivation { name = "notinput"; system = sys; builder = "/bin/sh"; args = [ "-c" "echo ${builtins.unsafeDiscardStringContext simple.outPath} > $out" ]; };
  misc = derivation {
    name = "misc"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo > $out" ];
    uni = "café cr\r bell"; fl = 1.5; nested = [ "a" [ "b" "c" ] true false null 3 ]; outputs = [ "out" "bin" ];
  };
  sa = derivation {
    name = "sa"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo > $out" ];
    __structuredAttrs = true; b = [ 1 "two" { x = true; } ]; a = null;
  };
  show = d: [ d.drvPath d.outPath ];
in {
  simple = show simple; multi = show multi; multiDev = multi.dev.outPath; dep = show dep;
  fod = show fod; fod2 = show fod2; fodr = show fodr;
  useFod1 = show (useFod fod); useFod2 = show (useFod fod2);
  selfref = show selfref; hashonly = show hashonly; notinput = show notinput;
  misc = show misc; miscBin = misc.bin.outPath; sa = show sa;
  toFile = builtins.toFile "script.txt" "some text";
  placeholder = builtins.placeholder "out";
}
