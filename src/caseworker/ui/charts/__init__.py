"""Charts the program draws itself with Qt painting (the City page's tile map, trend, district bars
and reporting grid), each beside a table of the same numbers for readers who cannot see it."""
