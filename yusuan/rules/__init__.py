"""The rules of schemas/checks.yaml, by scope.

* ``engine``: comparing printed amounts with a tolerance that respects rounding, recording
  results, clustering rounding noise;
* ``select``: the declarative cell selectors of checks.yaml (table, side, row role, measure …);
* ``tables``: arithmetic within one table; ``structure``: tables that contradict their notes
  or could not be parsed; ``cross``: totals across tables; ``narrative``: figures in the text;
  ``codes``: classification codes against the code lists; ``validation``: Frictionless.
"""
