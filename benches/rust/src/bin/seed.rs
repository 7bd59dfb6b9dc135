//! Seeds a durable emulator store with N executions for the scaling benchmark: N/1000 jobs (at least 1) on up to
//! 1000 things, plus the demo fleet (whose gateway execution is the one described).
//! `seed DIR N`

use jobscope_emulator::{Account, Clock, Execution, Job, Store, Thing, demo};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("seed DIR N");
    let n: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .expect("seed DIR N");
    let account = Account {
        account_id: "123456789012".into(),
        region: "us-east-1".into(),
    };
    let store =
        Store::open(std::path::Path::new(&dir), account, Clock::default()).expect("open store");
    demo::seed(&store).expect("demo");
    let things = n.clamp(1, 1000);
    let jobs = n.div_ceil(things);
    let now = store.clock.now_ms();
    let thing_records: Vec<Thing> = (0..things)
        .map(|t| Thing {
            name: format!("load-thing-{t:04}"),
            thing_id: format!("id-{t}"),
            attributes: Default::default(),
            version: 1,
        })
        .collect();
    store
        .seed(thing_records, Vec::new(), Vec::new())
        .expect("things");
    let mut made = 0;
    for j in 0..jobs {
        let job = Job {
            document: Some("{\"operation\":\"load\"}".into()),
            ..Job::in_progress(&format!("load-job-{j:05}"), now)
        };
        let executions: Vec<Execution> = (0..things)
            .take(n - made)
            .map(|t| Execution {
                status_details: vec![("progress".into(), "0".into())],
                ..Execution::queued(&format!("load-thing-{t:04}"), &job.job_id, 1, now, 0)
            })
            .collect();
        made += executions.len();
        store
            .seed(Vec::new(), vec![job], executions)
            .expect("executions");
    }
    println!("seeded {made} executions in {dir}");
}
