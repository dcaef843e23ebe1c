//! Accepting connections so that nobody can stop or starve the server
//! without logging in: the accept loop survives errors (a full file table
//! backs off and retries, it never ends the server), connections that have
//! not logged in are limited in number (in all and per address) and in
//! time, and the process may use as many files as its hard limit allows.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use russh::Disconnect;
use tokio::net::TcpListener;

use super::admission::{MAX_PENDING, MAX_PENDING_PER_ADDRESS};
use super::connection::Connection;
use super::{Shared, log};

/// Let the process open as many files as its hard limit allows (systemd
/// sets the soft limit to 1,024): each connection is a file.
pub fn raise_file_limit() {
    // SAFETY: getrlimit/setrlimit read and write one plain struct we own.
    unsafe {
        let mut lim: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// Accept connections until the process is stopped.
pub async fn accept_forever(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
) {
    let mut pause = Duration::from_millis(10);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of files, say: keep serving who is in, and try again.
                log(&format!(
                    "cannot accept a connection ({e}); trying again in {pause:?}"
                ));
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        pause = Duration::from_millis(10);
        let Some(admission) = shared.pending.admit(peer.ip()) else {
            log(&format!(
                "refused {peer}: too many connections that have not logged in \
                 ({MAX_PENDING} in all, {MAX_PENDING_PER_ADDRESS} per address)"
            ));
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let handler = Connection::new(Arc::clone(&shared), peer, admission);
        let deadline = shared.opts.login_timeout;
        tokio::spawn(serve_one(
            Arc::clone(&config),
            stream,
            handler,
            peer,
            deadline,
        ));
    }
}

/// One connection, closed if it has not logged in by `deadline`.
async fn serve_one(
    config: Arc<russh::server::Config>,
    stream: tokio::net::TcpStream,
    handler: Connection,
    peer: SocketAddr,
    deadline: Duration,
) {
    let authenticated = handler.authenticated();
    let until = tokio::time::Instant::now() + deadline;
    let started =
        tokio::time::timeout_at(until, russh::server::run_stream(config, stream, handler));
    let mut running = match started.await {
        Ok(Ok(running)) => running,
        Ok(Err(e)) => return log(&format!("{peer}: {e}")),
        Err(_) => {
            return log(&format!(
                "closed {peer}: no SSH handshake within {deadline:?}"
            ));
        }
    };
    tokio::select! {
        _ = &mut running => return,
        _ = tokio::time::sleep_until(until) => {}
    }
    if !authenticated.load(Ordering::SeqCst) {
        log(&format!("closed {peer}: not logged in within {deadline:?}"));
        let _ = running
            .handle()
            .disconnect(
                Disconnect::ByApplication,
                "log in took too long".into(),
                "en".into(),
            )
            .await;
    }
    let _ = running.await;
}
