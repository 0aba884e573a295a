map ({ a }: a) [ { } ]
