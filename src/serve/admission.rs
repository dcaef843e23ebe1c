//! How many connections may wait to log in: in all, and from one address.
//! A connection holds an `Admission` until it logs in or ends, so silent
//! connections can neither fill the server nor lock out everyone else.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Connections not logged in yet, at most: in all, and from one address.
pub const MAX_PENDING: usize = 64;
pub const MAX_PENDING_PER_ADDRESS: usize = 8;

/// Connections that have not logged in, per client address.
#[derive(Default)]
pub struct Pending {
    by_address: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection's place among the pending ones; dropping it (on login or
/// when the connection ends) frees the place.
pub struct Admission {
    pending: Arc<Pending>,
    address: IpAddr,
}

impl Pending {
    /// A place for a new connection from `address`, unless the limits are reached.
    pub fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Admission> {
        let mut map = self.by_address.lock().unwrap_or_else(|p| p.into_inner());
        let total: usize = map.values().sum();
        let here = map.get(&address).copied().unwrap_or(0);
        if total >= MAX_PENDING || here >= MAX_PENDING_PER_ADDRESS {
            return None;
        }
        *map.entry(address).or_insert(0) += 1;
        Some(Admission {
            pending: Arc::clone(self),
            address,
        })
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        let mut map = self
            .pending
            .by_address
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.address);
            }
        }
    }
}
