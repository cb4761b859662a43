//! The host side of each instance: what `TokenSession` does with the engine — the driver loop
//! (`poll` → action → `handle_*`), the callers' fast path, their API calls and `ApiStep`s — and
//! how the simulated store and provider complete each operation.

use super::driver::{CallerState, Op, Sim, PERSISTED};
use super::provider::Fault;
use oauth_edge::core::error::{Error, ErrorCode};
use oauth_edge::core::oauth2::session::{Action, ApiResponse, ApiStep};

impl Sim {
    /// What `TokenSession.fetch` does to get a token: the fast path, else wait for the engine.
    pub(super) fn call(&mut self, c: usize) {
        let (i, now) = (self.callers[c].inst, self.now());
        let session = &mut self.instances[i].session;
        if let Some(token) = session.usable_token(now) {
            self.callers[c].state = CallerState::Api(token.token().expose().to_owned());
        } else {
            session.want_token();
            self.instances[i].token_waiters.push(c);
            self.callers[c].state = CallerState::Waiting;
            self.start(i);
        }
    }

    pub(super) fn api_request(&mut self, c: usize) {
        let now = self.now();
        let CallerState::Api(token) = self.callers[c].state.clone() else {
            unreachable!()
        };
        let answer = self.api.call(&self.provider, &self.store, &token, now);
        let inst = self.callers[c].inst;
        self.log(inst, || {
            format!("caller {c}: API {token} → {}", answer.status)
        });
        let response = ApiResponse {
            status: answer.status,
            www_authenticate: answer.www_authenticate.as_deref(),
            retry_after: answer.retry_after.as_deref(),
            used_access_token: &token,
        };
        let random = self.rng.next_u32();
        let caller = &mut self.callers[c];
        caller.api_requests += 1;
        let session = &mut self.instances[caller.inst].session;
        match caller.api.on_response(session, &response, random, now) {
            ApiStep::Done => self.finish(c, Ok(answer.status)),
            ApiStep::Fail(error) => self.finish(c, Err(error)),
            ApiStep::Retry { delay_ms } => caller.state = CallerState::Pause(now + delay_ms),
            ApiStep::RetryWithNewToken => self.call(c),
            // `ApiStep` and `Action` are `#[non_exhaustive]`; src/js's executor, inside the
            // crate, is the exhaustive match that a new variant breaks.
            step => panic!("the simulated host does not know {step:?}"),
        }
    }

    pub(super) fn finish(&mut self, c: usize, result: Result<u16, Error>) {
        let inst = self.callers[c].inst;
        self.log(inst, || format!("caller {c} done: {result:?}"));
        self.callers[c].state = CallerState::Done(result);
        self.callers[c].done_at = Some(self.now());
    }

    pub(super) fn start(&mut self, i: usize) {
        if !self.instances[i].running {
            self.instances[i].running = true;
            self.drive(i);
        }
    }

    pub(super) fn pick(&mut self, percent: u64) -> bool {
        percent > 0 && self.rng.chance(percent)
    }

    pub(super) fn fault(&mut self) -> Fault {
        if let Some(f) = self.provider.faults.pop_front() {
            return f;
        }
        let f = self.faults;
        if self.pick(f.fail_before) {
            Fault::FailBefore
        } else if self.pick(f.too_many) {
            Fault::TooMany(self.rng.below(2))
        } else if self.pick(f.unavailable) {
            Fault::Unavailable
        } else if self.pick(f.lose_response) {
            Fault::LoseResponse
        } else {
            Fault::None
        }
    }

    /// The pending operation of instance `i` completes now, atomically.
    pub(super) fn complete(&mut self, i: usize) {
        let now = self.now();
        let (op, _) = self.instances[i].op.take().expect("runnable");
        match op {
            Op::Load => {
                if self.pick(self.faults.load_error) {
                    self.store.fail_loads += 1;
                }
                let result = self.store.load();
                self.log(i, || format!("loaded {result:?}"));
                self.instances[i].session.handle_loaded(result, now);
            }
            Op::Save { record, expected } => {
                if self.pick(self.faults.save_error) {
                    self.store.fail_saves += 1;
                }
                let result = self.store.save(&record, expected.as_deref());
                self.log(i, || {
                    format!("saved {:?} {result:?}", record.to_persisted())
                });
                self.instances[i].session.handle_saved(result, now);
            }
            Op::Send(request) => {
                let fault = self.fault();
                let result = self.provider.handle(&request, now, fault);
                let body = String::from_utf8_lossy(request.body.as_deref().unwrap_or_default());
                self.log(i, || format!("sent {body} {fault:?} → {result:?}"));
                let random = self.rng.next_u32();
                self.instances[i]
                    .session
                    .handle_response(result, random, now);
            }
            Op::Lock => {
                assert_eq!(self.store.queue.pop_front(), Some(i));
                let result = if self.pick(self.faults.lock_error) {
                    Err(Error::new(
                        ErrorCode::StoreError,
                        "sim: store.lock() failed",
                    ))
                } else {
                    self.store.holder = Some(i);
                    Ok(())
                };
                self.log(i, || format!("locked {result:?}"));
                self.instances[i].session.handle_locked(result, now);
            }
            Op::Unlock => {
                assert_eq!(
                    self.store.holder,
                    Some(i),
                    "seed {}: unlock without the lock",
                    self.seed
                );
                self.store.holder = None;
                self.instances[i].session.handle_unlocked();
            }
        }
        self.drive(i);
    }

    pub(super) fn log(&mut self, i: usize, line: impl FnOnce() -> String) {
        if let Some(trace) = &mut self.trace {
            trace.push(format!("{} i{i} {}", self.clock.now(), line()));
        }
    }

    /// The host's driver loop: poll until an operation is out, a sleep, or `Idle`.
    pub(super) fn drive(&mut self, i: usize) {
        let now = self.now();
        for _ in 0..1_000 {
            let inst = &mut self.instances[i];
            if inst.crashed {
                return;
            }
            let action = inst.session.poll(now);
            if let Some(trace) = &mut self.trace {
                trace.push(format!("{now} i{i} poll → {action:?}"));
            }
            let inst = &mut self.instances[i];
            let op = match action {
                Action::Load => Op::Load,
                Action::Save {
                    record,
                    expected_version,
                } => Op::Save {
                    record,
                    expected: expected_version,
                },
                Action::Send(_) if inst.crash_on_send => {
                    inst.crashed = true;
                    return;
                }
                Action::Send(request) => {
                    let lag = self.rng.below(self.latency_ms + 1);
                    inst.op = Some((Op::Send(request), now + inst.send_delay_ms + lag));
                    return;
                }
                Action::Lock => {
                    self.store.queue.push_back(i);
                    Op::Lock
                }
                Action::Unlock => Op::Unlock,
                Action::Sleep { until_ms } => {
                    inst.sleep = Some(until_ms);
                    return;
                }
                Action::Deliver(token) => {
                    let token = token.token().expose().to_owned();
                    for c in std::mem::take(&mut inst.token_waiters) {
                        self.callers[c].state = CallerState::Api(token.clone());
                    }
                    continue;
                }
                Action::Persisted => {
                    for c in std::mem::take(&mut inst.persist_waiters) {
                        self.finish(c, Ok(PERSISTED));
                    }
                    continue;
                }
                Action::Fail(error) => {
                    let mut waiters = std::mem::take(&mut inst.token_waiters);
                    waiters.append(&mut inst.persist_waiters);
                    for c in waiters {
                        self.finish(c, Err(error.clone()));
                    }
                    continue;
                }
                Action::Idle => {
                    inst.running = false;
                    return;
                }
                action => panic!("the simulated host does not know {action:?}"),
            };
            inst.op = Some((op, now + self.rng.below(self.latency_ms + 1)));
            return;
        }
        panic!(
            "seed {}: i{i} polled 1000 times without an operation\n{}",
            self.seed,
            self.dump()
        );
    }
}
