"""The map stage: duty statements -> responsibilities with RACI levels, and each person's role.

- :mod:`~analyzer.mapping.mapper`: :class:`Mapper`, texts -> :class:`~analyzer.records.TextMapping`
- :mod:`~analyzer.mapping.clauses`: clauses, subject, negation and RACI level from the wording
- :mod:`~analyzer.mapping.classifier` and :mod:`~analyzer.mapping.features`: the statement classifier
- :mod:`~analyzer.mapping.jobs` and :mod:`~analyzer.mapping.roles`: the role a whole description describes
- :mod:`~analyzer.mapping.titles`: the role a job title names
- :mod:`~analyzer.mapping.assemble`: a person's holdings
- :mod:`~analyzer.mapping.component`: the same mapper as the spaCy component ``responsibility_mapper``
"""
