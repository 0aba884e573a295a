# lib.lists: functions on lists.
lib:
let
  inherit (builtins) concatLists elemAt filter foldl' genList head isList length listToAttrs tail;
in
rec {
  inherit (builtins) all any concatLists concatMap elem elemAt filter foldl' genList groupBy head
    length partition sort tail;

  # Right fold: foldr op nul [ a b c ] = op a (op b (op c nul)).
  foldr = op: nul: list:
    let
      n = length list;
      go = i: if i == n then nul else op (elemAt list i) (go (i + 1));
    in
    go 0;

  # Map with the index (from 0 / from 1).
  imap0 = f: list: genList (i: f i (elemAt list i)) (length list);
  imap1 = f: list: genList (i: f (i + 1) (elemAt list i)) (length list);

  forEach = list: f: map f list;

  flatten = x: if isList x then builtins.concatMap flatten x else [ x ];

  toList = x: if isList x then x else [ x ];

  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: list: if cond then list else [ ];

  # [ from .. to ], both included.
  range = from: to: if from > to then [ ] else genList (i: from + i) (to - from + 1);

  last = list:
    if list == [ ] then throw "lib.last: empty list" else elemAt list (length list - 1);

  init = list:
    if list == [ ] then throw "lib.init: empty list" else genList (elemAt list) (length list - 1);

  sublist = start: count: list:
    let
      len = length list;
      s = if start > len then len else start;
      c = if s + count > len then len - s else count;
    in
    genList (i: elemAt list (s + i)) c;

  take = count: sublist 0 count;
  drop = count: list: sublist count (length list) list;

  reverseList = list: let n = length list; in genList (i: elemAt list (n - 1 - i)) n;

  # First element satisfying `pred`, or `default`.
  findFirst = pred: default: list:
    let found = filter pred list; in if found == [ ] then default else head found;

  count = pred: list: length (filter pred list);

  remove = x: filter (y: y != x);

  # Keeps the first occurrence of each element, in order.
  unique = list:
    foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ] list;

  # Like `unique` for strings, in linear time.
  uniqueStrings = list:
    let
      firsts = listToAttrs (lib.reverseList (imap0 (i: s: { name = s; value = i; }) list));
    in
    filter (x: x != null) (imap0 (i: s: if firsts.${s} == i then s else null) list);

  intersectLists = a: b: filter (x: builtins.elem x a) b;
  subtractLists = a: b: filter (x: !(builtins.elem x a)) b;

  zipListsWith = f: a: b:
    genList (i: f (elemAt a i) (elemAt b i)) (if length a < length b then length a else length b);
  zipLists = zipListsWith (fst: snd: { inherit fst snd; });

  # A stable sort by a key: equal keys keep their order.
  sortOn = key: list:
    map (p: p.x) (builtins.sort (a: b: let ka = key a.x; kb = key b.x; in ka < kb || (ka == kb && a.i < b.i))
      (imap0 (i: x: { inherit i x; }) list));

  # Stable sort with a "less than" predicate.
  sortStable = lt: list:
    map (p: p.x) (builtins.sort (a: b: lt a.x b.x || (!(lt b.x a.x) && a.i < b.i))
      (imap0 (i: x: { inherit i x; }) list));

  # Inserts `sep` between the elements.
  intersperse = sep: list:
    if list == [ ] then [ ] else [ (head list) ] ++ concatLists (map (x: [ sep x ]) (tail list));

  max = a: b: if a > b then a else b;
  min = a: b: if a < b then a else b;
}
