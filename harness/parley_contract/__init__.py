"""Parley contract-test harness: schemathesis plus the checks a fuzzer cannot know."""
