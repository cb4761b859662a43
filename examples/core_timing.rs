use oauth_edge::core::oauth1::{SignableRequest, Signer};
fn main() {
    let signer = Signer::new(
        "8493b95910d748c99bf74e61ef12043f",
        "zapevent consumer secret",
    )
    .with_token(
        "230bcf6370844029b72e5b67a40e772d",
        "277AA9779A21600B6BD391AD4AFA7B7EEF2A0BD2",
    );
    let url = "https://www.zapevent.com/api/event/getparticipants?event_id=1001&activity_id=2001&page=2&results_per_page=250&format=json&sort=registration_id%20ASC";
    let req = SignableRequest {
        method: "GET",
        url,
        ..Default::default()
    };
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(
            signer
                .sign(&req, Some("638937701"), Some(1300228849))
                .unwrap(),
        );
    }
    println!(
        "native core sign: {:.2} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
