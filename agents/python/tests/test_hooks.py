"""The asyncio hooks' own edge cases, in process."""

import asyncio
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from weft_asyncio import _agent  # noqa: E402


class ReportStepErrorTest(unittest.TestCase):
    def test_reported_as_asyncio_reports_a_failing_callback(self):
        # The run hook calls a task's step itself; should the step ever raise, the error goes
        # through the original Handle._run, so the loop's exception handler sees what it would.
        loop = asyncio.new_event_loop()
        seen = []
        loop.set_exception_handler(lambda _loop, context: seen.append(context))
        try:
            def step():
                raise AssertionError("never called")

            handle = asyncio.Handle(step, (), loop)
            original_context = handle._context
            error = ValueError("boom")
            _agent._report_step_error(handle, error)
        finally:
            loop.close()
        self.assertEqual(len(seen), 1)
        self.assertIs(seen[0]["exception"], error)
        self.assertIs(seen[0]["handle"], handle)
        self.assertTrue(seen[0]["message"].startswith("Exception in callback"))
        self.assertIn("step", seen[0]["message"])
        self.assertIs(handle._context, original_context)



class TaskLabelTest(unittest.TestCase):
    def test_default_names_give_way_to_the_coroutine(self):
        async def fetch_rows():
            return 1

        async def main():
            default = asyncio.create_task(fetch_rows())
            named = asyncio.create_task(fetch_rows(), name="loader")
            numbered = asyncio.create_task(fetch_rows(), name="Task-x")
            labels = [_agent._task_label(t) for t in (default, named, numbered)]
            await asyncio.gather(default, named, numbered)
            return labels

        labels = asyncio.run(main())
        self.assertEqual(labels[0],
                         "TaskLabelTest.test_default_names_give_way_to_the_coroutine."
                         "<locals>.fetch_rows")
        self.assertEqual(labels[1:], ["loader", "Task-x"])


if __name__ == "__main__":
    unittest.main()
