#!/usr/bin/env python3
"""Tests of benchmarks/load/profile-breakdown.py on made-up collapsed stacks and results.

Usage: python3 benchmarks/load/profile-breakdown-test.py
"""
import contextlib
import importlib.util
import io
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("profile_breakdown", os.path.join(HERE, "profile-breakdown.py"))
breakdown = importlib.util.module_from_spec(spec)
spec.loader.exec_module(breakdown)

SERVER = "java/lang/Thread.run;io/netty/channel/nio/NioEventLoop.run;reactor/netty/http/server/HttpServerOperations.onInboundNext"
ADVICE = (SERVER + ";io/llmmonitor/sample/chat/ChatService$$SpringCGLIB$$0.complete"
          ";org/springframework/aop/framework/CglibAopProxy$DynamicAdvisedInterceptor.intercept"
          ";org/springframework/aop/framework/ReflectiveMethodInvocation.proceed"
          ";io/llmmonitor/aop/MonitoringAspect.monitorLlmCall")
SUBSCRIBE = SERVER + ";io/llmmonitor/reactive/ObservedSubscriber$ObservedMono.subscribe"

STACKS = {
    # a handler of llm-monitor's call, under the stop that llm-monitor's code called
    "inside llm-monitor's observations": [
        ADVICE + ";io/llmmonitor/call/AbstractObservedCall.end;io/micrometer/observation/SimpleObservation.error"
        ";io/micrometer/observation/SimpleObservation.notifyOnError",
        SERVER + ";io/llmmonitor/call/AbstractObservedCall.end;io/micrometer/observation/SimpleObservation.stop"
        ";io/micrometer/observation/SimpleObservation.notifyOnObservationStopped"
        ";io/llmmonitor/tracing/LlmCallTracingObservationHandler.tagSpan(Lio/llmmonitor/observation/LlmCallContext;)V",
        # Spring Boot's meter handler on llm-monitor's call's start
        ADVICE + ";io/llmmonitor/call/ObservationStarts.start;io/micrometer/observation/SimpleObservation.start"
        ";io/micrometer/core/instrument/observation/DefaultMeterObservationHandler.onStart",
    ],
    # the WebClient's observation, started under the subscription of llm-monitor's call
    "inside other observations": [
        # an observation started by a Reactor operator (tap) is not a restore
        SUBSCRIBE + ";reactor/core/publisher/FluxTap$TapSubscriber.onSubscribe"
        ";io/micrometer/observation/SimpleObservation.start;io/micrometer/observation/SimpleObservation.notifyOnObservationStarted",
        # a span ending on the request thread hands it to the export thread: part of the stop
        "[reactor-http-epoll-1 tid=30];" + SERVER
        + ";org/springframework/web/server/adapter/HttpWebHandlerAdapter$ObservationSignalListener.doOnComplete"
        ";io/micrometer/observation/SimpleObservation.stop"
        ";io/opentelemetry/sdk/trace/export/BatchSpanProcessor.onEnd",
        SUBSCRIBE + ";reactor/core/publisher/MonoDefer.subscribe"
        ";org/springframework/web/reactive/function/client/DefaultWebClient$DefaultRequestBodyUriSpec.lambda$exchange$0"
        ";io/micrometer/observation/SimpleObservation.start"
        ";io/micrometer/observation/SimpleObservation.notifyOnObservationStarted"
        ";io/llmmonitor/observation/FailureIsolatingObservationHandler.onStart",
    ],
    # an element of a stream: Reactor's handle operator puts the context's observation on the thread
    "Reactor context restores": [
        SUBSCRIBE + ";reactor/core/publisher/FluxHandle$HandleSubscriber.onNext"
        ";reactor/core/publisher/ContextPropagation$ContextRestoreHandleConsumer.accept"
        ";io/micrometer/context/DefaultContextSnapshot.setThreadLocal"
        ";io/micrometer/observation/contextpropagation/ObservationThreadLocalAccessor.setValue"
        ";io/micrometer/observation/SimpleObservation.openScope"
        ";io/micrometer/tracing/handler/TracingObservationHandler.onScopeOpened",
    ],
    "llm-monitor's code outside its observations": [
        ADVICE + ";io/llmmonitor/call/internal/CardinalityGuard.atStart;java/util/HashMap.get",
        # a failed call's error is inside the observation; what leads to it is llm-monitor's
        ADVICE + ";io/llmmonitor/error/DefaultLlmErrorClassifier.classify;java/lang/Class.getName",
    ],
    "Spring AOP proxy and AspectJ matching": [
        SERVER + ";io/llmmonitor/sample/chat/ChatService$$SpringCGLIB$$0.complete"
        ";org/springframework/aop/framework/CglibAopProxy$DynamicAdvisedInterceptor.intercept"
        ";org/springframework/aop/aspectj/AspectJExpressionPointcut.matches",
        SERVER + ";io/llmmonitor/sample/chat/ChatService$$SpringCGLIB$$0.complete",
    ],
    "garbage collection and VM threads": [
        "clone3;start_thread;thread_native_entry;Thread::call_run;VMThread::run;SerialHeap::collect",
        "clone3;start_thread;thread_native_entry;Thread::call_run;WorkerThread::run;G1EvacuateRegionsTask::work",
        "[VM Thread tid=12];SerialHeap::collect",
        "[GC Thread#0 tid=13];[unknown]",
        "[VM Periodic Tas tid=14];WatcherThread::run",
    ],
    "JIT compiler threads": [
        "clone3;start_thread;thread_native_entry;Thread::call_run;JavaThread::thread_main_inner"
        ";CompileBroker::compiler_thread_loop;C2Compiler::compile_method",
        "[C2 CompilerThre tid=21];[unknown]",
        "[C1 CompilerThre tid=22];Compilation::compile_method",
    ],
    "span export thread": [
        "java/lang/Thread.run;io/opentelemetry/sdk/trace/export/BatchSpanProcessor$Worker.run"
        ";io/micrometer/tracing/otel/bridge/CompositeSpanExporter.export",
        "[BatchSpanProcessor_WorkerThread-1 tid=40];java/lang/Thread.run;java/lang/Object.wait",
    ],
    # what llm-monitor hands on: the sample's code and the WebClient under the call's subscription
    "the application": [
        SUBSCRIBE + ";reactor/core/publisher/MonoFlatMap.subscribe;io/netty/channel/AbstractChannel.write",
        # a thread of the application's that happens to bear a JVM thread's name runs Java code
        "[GC Thread pool-1 tid=77];java/lang/Thread.run;io/llmmonitor/sample/chat/ChatService.complete",
        # a frame in brackets at the root that is no thread's
        "[unknown];io/llmmonitor/sample/chat/ChatService.complete",
        ADVICE + ";io/llmmonitor/sample/client/OpenAiChatClient.complete;java/util/HashMap.put",
        SERVER + ";tools/jackson/databind/ObjectMapper.readValue",
    ],
}


def frames(stack):
    return [frame.split("(")[0] for frame in stack.split(";")]


class CategoryTests(unittest.TestCase):

    def test_each_stack_is_whose_work_it_is(self):
        for expected, stacks in STACKS.items():
            for stack in stacks:
                with self.subTest(stack=stack[-80:]):
                    self.assertEqual(expected, breakdown.category(frames(stack)))

    def test_every_category_is_covered(self):
        self.assertEqual(set(breakdown.CATEGORIES), set(STACKS))


def collapsed(counts):
    """Collapsed lines: counts[category] samples of its first stack."""
    return [f"{STACKS[name][0]} {count}\n" for name, count in counts.items()]


class BreakdownTests(unittest.TestCase):

    def result(self, event="itimer,interval=1ms"):
        return {
            "settings": {"profile": "prof", "profile_event": event, "profile_format": "collapsed"},
            "results": {"blocking": {"unmonitored_cpu_ms_per_request": [0.2],
                                     "monitored_cpu_ms_per_request": [0.3],
                                     "bare_cpu_ms_per_request": [0.1]}},
        }

    def files(self):
        return {
            os.path.join("prof", "blocking-unmonitored-itimer-1.collapsed"):
                collapsed({"the application": 150, "inside other observations": 50}),
            os.path.join("prof", "blocking-monitored-itimer-1.collapsed"):
                collapsed({"the application": 150, "inside other observations": 50,
                           "inside llm-monitor's observations": 60, "llm-monitor's code outside its observations": 30,
                           "garbage collection and VM threads": 10}),
            os.path.join("prof", "blocking-bare-itimer-1.collapsed"): collapsed({"the application": 7}),
        }

    def read(self, files):
        return lambda path: contextlib.closing(io.StringIO("".join(files[path])))

    def test_samples_are_scaled_to_each_run_s_cpu_per_request(self):
        [(path, pair, table, counts)] = breakdown.breakdown(self.result(), self.read(self.files()))
        self.assertEqual(("blocking", 1), (path, pair))
        self.assertEqual({"unmonitored": 200, "monitored": 300, "bare": 7}, counts)
        self.assertAlmostEqual(150, table["unmonitored"]["the application"])
        self.assertAlmostEqual(50, table["unmonitored"]["inside other observations"])
        # 300 samples for 0.3 ms: 1 us each
        self.assertAlmostEqual(60, table["monitored"]["inside llm-monitor's observations"])
        self.assertAlmostEqual(30, table["monitored"]["llm-monitor's code outside its observations"])
        self.assertAlmostEqual(10, table["monitored"]["garbage collection and VM threads"])
        self.assertAlmostEqual(100, table["bare"]["the application"])
        self.assertAlmostEqual(0, table["bare"]["span export thread"])

    def test_the_table_gives_what_monitoring_added_after_the_monitored_column(self):
        [table] = breakdown.breakdown(self.result(), self.read(self.files()))
        text = breakdown.markdown(*table)
        self.assertIn("| where | unmonitored | monitored | added | bare |", text)
        self.assertIn("| inside llm-monitor's observations | 0.0 | 60.0 | 60.0 | 0.0 |", text)
        self.assertIn("| the application | 150.0 | 150.0 | 0.0 | 100.0 |", text)
        self.assertIn("| total | 200.0 | 300.0 | 100.0 | 100.0 |", text)
        self.assertIn("samples: unmonitored 200 (one is 1.000 µs per request), monitored 300 (one is 1.000 µs"
                      " per request), bare 7 (one is 14.286 µs per request)", text)

    def test_a_relative_profile_directory_is_found_beside_the_json(self):
        files = {os.path.join("results", name): lines for name, lines in self.files().items()}
        [(_, _, table, _)] = breakdown.breakdown(self.result(), self.read(files), base="results")
        self.assertAlmostEqual(60, table["monitored"]["inside llm-monitor's observations"])

    def test_profiles_of_anything_but_cpu_time_are_refused(self):
        for event in ("alloc", "wall,interval=5ms", "lock"):
            with self.subTest(event=event), self.assertRaisesRegex(ValueError, "not of CPU time"):
                breakdown.breakdown(self.result(event), self.read(self.files()))

    def test_an_empty_profile_is_refused(self):
        files = self.files()
        files[os.path.join("prof", "blocking-bare-itimer-1.collapsed")] = []
        with self.assertRaisesRegex(ValueError, "no samples"):
            breakdown.breakdown(self.result(), self.read(files))


if __name__ == "__main__":
    unittest.main()
