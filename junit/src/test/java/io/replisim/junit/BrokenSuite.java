package io.replisim.junit;

/** A suite with a late expectation, an invalid file and a missing folder: each must fail in words. */
@ReplisimScenarios(value = {"src/test/resources/suites/broken", "src/test/resources/suites/nosuch"},
        output = "target/replisim-engine-test")
class BrokenSuite {}
