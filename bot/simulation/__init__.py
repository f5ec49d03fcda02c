"""A simulated person on the real engine and planner: how the journey feels, week by week.

``personas.py`` says how each simulated person answers, ``content.py`` what marketing publishes
during the run, ``run.py`` drives the clock, the planner's tick and ``Conversation.handle``, and
``report.py`` turns the record into the table, the JSON object and the SVG plot.
"""
