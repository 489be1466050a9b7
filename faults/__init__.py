"""`make faults`: the pipeline killed, its disk filled and two runs started at once, on copies of
the shipped sample; each trial checks that nothing is lost, doubled, left stale or misreported
(docs/architecture.md, "Faults and crash recovery")."""
