// Each test class starts its own server over a real model; on a 2-core machine running them one at a time keeps
// the load test's memory and slot measurements about that test alone.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
