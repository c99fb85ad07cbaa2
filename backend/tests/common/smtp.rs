//! A real SMTP server on loopback (the `mailin` protocol implementation over a TCP
//! listener), collecting what it is sent, and messages read as a mail reader would.

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};

/// A message as received: its recipients and its data.
pub type Received = (Vec<String>, String);

/// Collects each message.
#[derive(Clone, Default)]
pub struct Inbox {
    pub messages: Arc<Mutex<Vec<Received>>>,
    current: Arc<Mutex<Received>>,
}

impl mailin::Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> mailin::Response {
        *self.current.lock().unwrap() = (to.to_vec(), String::new());
        mailin::response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.lock().unwrap().1.push_str(&String::from_utf8_lossy(buf));
        Ok(())
    }
    fn data_end(&mut self) -> mailin::Response {
        let m = std::mem::take(&mut *self.current.lock().unwrap());
        self.messages.lock().unwrap().push(m);
        mailin::response::OK
    }
}

/// An SMTP server on a free loopback port, one connection at a time, in a thread.
pub fn smtp_server(inbox: Inbox) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut session =
                mailin::SessionBuilder::new("loopback").build(IpAddr::from([127, 0, 0, 1]), inbox.clone());
            session.greeting().write_to(&mut stream).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = Vec::new();
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
                    break;
                }
                let response = session.process(&line);
                match response.action {
                    mailin::Action::Close => {
                        let _ = response.write_to(&mut stream);
                        break;
                    }
                    mailin::Action::NoReply => {}
                    _ => {
                        if response.write_to(&mut stream).is_err() {
                            break;
                        }
                    }
                }
                let _ = stream.flush();
            }
        }
    });
    port
}

/// The first message for `email`, its quoted-printable body decoded as a mail reader
/// would.
pub fn message_to(messages: &[(Vec<String>, String)], email: &str) -> String {
    messages_to(messages, email).into_iter().next().unwrap_or_else(|| panic!("nothing for {email}"))
}

/// Every message for `email`, in the order received, decoded.
pub fn messages_to(messages: &[(Vec<String>, String)], email: &str) -> Vec<String> {
    messages.iter().filter(|(to, _)| to.iter().any(|t| t.contains(email))).map(|(_, raw)| decoded(raw)).collect()
}

fn decoded(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(b) =
            (bytes[i] == b'=').then(|| joined.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())).flatten()
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
