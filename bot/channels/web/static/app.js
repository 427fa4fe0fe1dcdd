// The playground: posts typed text and clicks to the bot and shows its replies.
"use strict";

const log = document.getElementById("log");
const composer = document.getElementById("composer");
const text = document.getElementById("text");
const send = document.getElementById("send");
let user = "";

function addUserLine(content) {
  const p = document.createElement("p");
  p.className = "msg me";
  p.textContent = content;
  log.appendChild(p);
}

function addNote(content, kind) {
  const p = document.createElement("p");
  p.className = "note " + kind;
  p.textContent = content;
  log.appendChild(p);
}

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content.firstElementChild;
}

function show(reply, source) {
  if (reply.replace && source) {
    source.replaceWith(fragment(reply.replace.html));
  }
  for (const note of reply.private) addNote(note, "private");
  for (const message of reply.messages) log.appendChild(fragment(message.html));
  window.scrollTo(0, document.body.scrollHeight);
  updateCounters();
}

async function post(path, body, source) {
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(Object.assign({ user }, body)),
    });
    const data = await response.json();
    if (!response.ok) {
      addNote(data.error || "The bot could not take that. Please try again.", "error");
      if (data.signin) stopChat();
      return false;
    }
    show(data, source);
    return true;
  } catch (err) {
    addNote("The bot is not reachable. Your text is kept; try again.", "error");
    return false;
  }
}

function formValues(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") {
      values[element.name] = values[element.name] || [];
      if (element.checked) values[element.name].push(element.value);
    } else if (element.type === "radio") {
      if (element.checked) values[element.name] = element.value;
    } else {
      values[element.name] = element.value;
    }
  }
  return values;
}

function updateCounters() {
  for (const counter of document.querySelectorAll(".counter")) {
    const field = document.getElementById(counter.dataset.for);
    if (field) counter.textContent = `${field.value.length} / ${field.maxLength}`;
  }
}

function stopChat() {
  text.disabled = true;
  send.disabled = true;
  user = "";
}

document.getElementById("who").addEventListener("submit", async (event) => {
  event.preventDefault();
  user = document.getElementById("user").value.trim();
  if (!user) return;
  history.replaceState(null, "", `/?${new URLSearchParams({ as: user })}`);
  log.innerHTML = "";
  text.disabled = false;
  send.disabled = false;
  addNote(`Chatting as ${user}.`, "info");
  await post("/playground/api/message", { text: "help" });
  text.focus();
});

composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  const content = text.value;
  if (!content.trim()) return;
  addUserLine(content);
  if (await post("/playground/api/message", { text: content })) text.value = "";
});

log.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const article = button.closest("article");
  button.disabled = true;
  addUserLine(button.textContent);
  const ok = await post("/playground/api/action", { action: JSON.parse(button.dataset.action) }, article);
  if (!ok) button.disabled = false;
});

log.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-action]");
  if (!form) return;
  event.preventDefault();
  const values = formValues(form);
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  const ok = await post(
    "/playground/api/action",
    { action: JSON.parse(form.dataset.action), values },
    form.closest("article"),
  );
  if (!ok) submit.disabled = false;  // the form and its text stay for another try
});

log.addEventListener("input", updateCounters);

// Scheduled delivery: lessons and reminders the scheduler left in this learner's inbox.
const INBOX_SECONDS = 5;
let inboxAfter = 0;

async function pollInbox() {
  if (!user) return;
  const asked = user;
  try {
    const query = new URLSearchParams({ user: asked, after: String(inboxAfter) });
    const response = await fetch(`/playground/api/inbox?${query}`);
    if (!response.ok || asked !== user) return;
    const data = await response.json();
    if (data.messages.length) {
      addNote("Scheduled delivery:", "info");
      show({ replace: null, private: [], messages: data.messages });
    }
    inboxAfter = data.last;
    localStorage.setItem(`microcred-inbox:${asked}`, String(inboxAfter));
  } catch (err) {
    // The server may be restarting; the next poll tries again.
  }
}

document.getElementById("who").addEventListener("submit", () => {
  inboxAfter = Number(localStorage.getItem(`microcred-inbox:${user}`) || 0);
  setTimeout(pollInbox, 500);
});
setInterval(pollInbox, INBOX_SECONDS * 1000);

// A sign-in link may name the learner to chat as (`microcred playground link NAME`).
const named = new URLSearchParams(window.location.search).get("as");
if (named) {
  document.getElementById("user").value = named;
  document.getElementById("who").requestSubmit();
}
