// Each class starts its own host over a real model and node processes; one at a time on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
