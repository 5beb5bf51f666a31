//! Log or edit an activity in a few taps: today's date, this device's township and the last
//! organiser are filled in; "save and add another" keeps them.

use std::collections::HashMap;

use crate::ui::router::{use_navigate, use_params_map, use_query_map};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::order::sort_by;
use crate::domain::{Activity, ActivityForm, ActivityKind, FieldErrors, Hlc, Org, OrgKind, Person, RecordId, Venue};
use crate::storage::web;
use crate::ui::data;
use crate::ui::draft::{self, DraftOf};
use crate::ui::photos::{self, ActivityPhotos, Unsaved};
use crate::ui::settings::{Recent, Settings};
use crate::ui::widgets::{
    app_state, candidates, category_and_township, page_note, show_first_error, Choices, Field, PersonPicker, TextArea,
    TextInput,
};

#[component]
pub fn ActivityEdit() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    move || match params.with(|p| p.get("id")) {
        None => {
            let recent = Recent::load();
            // A link may ask for a kind (the station's "记一次授课"); else the last one used.
            let asked = query.with_untracked(|q| q.get("kind")).filter(|k| ActivityKind::from_key(k).is_some());
            let township = Settings::load().township;
            let initial = ActivityForm {
                kind: match asked {
                    Some(k) => k,
                    None if recent.activity_kind.is_empty() => ActivityKind::Lecture.key().into(),
                    None => recent.activity_kind,
                },
                date: web::today().to_string(),
                organiser: RecordId::parse(&recent.organiser).ok(),
                sessions: "1".into(),
                township,
                ..ActivityForm::default()
            };
            if initial.organiser.is_some() || !initial.township.is_empty() {
                return view! { <Editor id=None base=None initial=initial/> }.into_any();
            }
            // A county device (no township of its own) with nothing remembered: the service
            // centre organised it, the way the county reports its own work. Chosen before the
            // form opens, so it is where the form starts, not an edit its draft would keep.
            // Read once: a write elsewhere must not open the form again over what is typed.
            let orgs = LocalResource::new(data::list::<Org>);
            view! {
                {move || orgs.get().map(|found| {
                    let centre = found.ok().and_then(|list| {
                        list.iter().find(|o| !o.deleted && o.body.kind == OrgKind::ServiceCentre).map(|o| o.id.clone())
                    });
                    let initial = ActivityForm { organiser: centre, ..initial.clone() };
                    view! { <Editor id=None base=None initial=initial/> }
                })}
            }
            .into_any()
        }
        Some(text) => match RecordId::parse(&text) {
            Err(_) => page_note("error", "链接中的编号无效"),
            Ok(id) => {
                let found = data::record_once::<Activity>(id.clone());
                view! {
                    {move || match found.get() {
                        Some(Ok(Some(a))) if !a.deleted => view! {
                            <Editor id=Some(id.clone()) base=Some(a.updated) initial=ActivityForm::from_activity(&a.body)/>
                        }.into_any(),
                        Some(Ok(_)) => page_note("error", "找不到这条记录，可能已被删除"),
                        Some(Err(e)) => page_note("error", e.to_string()),
                        None => page_note("muted", "正在读取…"),
                    }}
                }
                .into_any()
            }
        },
    }
}

#[component]
fn Editor(id: Option<RecordId>, base: Option<Hlc>, initial: ActivityForm) -> impl IntoView {
    let state = app_state();
    let navigate = use_navigate();
    let editing = id.is_some();
    let people = data::resource::<Person>();
    let orgs = data::resource::<Org>();

    let kind = RwSignal::new(initial.kind);
    let theme = RwSignal::new(initial.theme);
    let date = RwSignal::new(initial.date);
    let township = RwSignal::new(initial.township);
    let village = RwSignal::new(initial.village);
    let venue = RwSignal::new(initial.venue);
    let organiser = RwSignal::new(initial.organiser.map(|o| o.to_string()).unwrap_or_default());
    let picked = RwSignal::new(initial.participants.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>());
    let hours = RwSignal::new(initial.participants.into_iter().collect::<HashMap<RecordId, String>>());
    let default_hours = RwSignal::new("2".to_owned());
    let sessions = RwSignal::new(initial.sessions);
    let audience = RwSignal::new(initial.audience);
    let beneficiaries = RwSignal::new(initial.beneficiaries);
    let leaflets = RwSignal::new(initial.leaflets);
    let slogans = RwSignal::new(initial.slogans);
    let trainees = RwSignal::new(initial.trainees);
    let talents = RwSignal::new(initial.talents);
    let self_employed = RwSignal::new(initial.self_employed);
    let income_raised = RwSignal::new(initial.income_raised);
    let notes = RwSignal::new(initial.notes);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let unsaved = RwSignal::new_local(Vec::<Unsaved>::new());
    let error_of = move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).map(str::to_owned)));
    let training = move || kind.with(|k| k == ActivityKind::Training.key());

    let candidates = candidates(people, |p| p.is_living(), category_and_township);
    let organisers = move || {
        orgs.with(|r| {
            let mut v: Vec<(String, String)> = r
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|v| v.iter().filter(|o| !o.deleted).map(|o| (o.id.to_string(), o.body.name.clone())).collect())
                .unwrap_or_default();
            sort_by(&mut v, |a, b| a.1.cmp(&b.1));
            v
        })
    };
    // The living members of the chosen organiser (a team's list, a branch's people), for
    // "添加全部成员": a team's lecture is usually the whole team.
    let members = move || -> Vec<RecordId> {
        let Ok(org_id) = RecordId::parse(&organiser.get()) else { return Vec::new() };
        let org = orgs.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).and_then(|v| v.iter().find(|o| o.id == org_id).cloned())
        });
        let Some(org) = org else { return Vec::new() };
        people.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).map_or_else(Vec::new, |p| {
                crate::report::figures::members_of(&org, p)
                    .into_iter()
                    .filter(|p| !p.deleted && p.body.is_living())
                    .map(|p| p.id.clone())
                    .collect()
            })
        })
    };
    let missing_members = move || {
        let chosen = picked.get();
        members().into_iter().filter(|m| !chosen.contains(m)).collect::<Vec<_>>()
    };
    let name_of = move |id: &RecordId| {
        candidates.with(|c| c.iter().find(|(i, _, _)| i == id).map(|(_, n, _)| n.clone())).unwrap_or_default()
    };

    let read = move || {
        let fallback = default_hours.get();
        ActivityForm {
            kind: kind.get(),
            theme: theme.get(),
            date: date.get(),
            township: township.get(),
            village: village.get(),
            venue: venue.get(),
            organiser: RecordId::parse(&organiser.get()).ok(),
            participants: picked
                .get()
                .into_iter()
                .map(|p| {
                    let h = hours.with(|h| h.get(&p).cloned()).unwrap_or_else(|| fallback.clone());
                    (p, h)
                })
                .collect(),
            sessions: sessions.get(),
            audience: audience.get(),
            beneficiaries: beneficiaries.get(),
            leaflets: leaflets.get(),
            slogans: slogans.get(),
            trainees: trainees.get(),
            talents: talents.get(),
            self_employed: self_employed.get(),
            income_raised: income_raised.get(),
            notes: notes.get(),
        }
    };
    let fill = move |f: ActivityForm| {
        kind.set(f.kind);
        theme.set(f.theme);
        date.set(f.date);
        township.set(f.township);
        village.set(f.village);
        venue.set(f.venue);
        organiser.set(f.organiser.map(|o| o.to_string()).unwrap_or_default());
        picked.set(f.participants.iter().map(|(p, _)| p.clone()).collect());
        hours.set(f.participants.into_iter().collect());
        sessions.set(f.sessions);
        audience.set(f.audience);
        beneficiaries.set(f.beneficiaries);
        leaflets.set(f.leaflets);
        slogans.set(f.slogans);
        trainees.set(f.trainees);
        talents.set(f.talents);
        self_employed.set(f.self_employed);
        income_raised.set(f.income_raised);
        notes.set(f.notes);
    };
    let of = DraftOf::record("activity", "活动", "theme", id.as_ref(), base, draft::here());
    let draft = draft::keep_form(of, read, fill);
    let changed = data::changed_since::<Activity>(id.clone(), base);

    let save_id = id.clone();
    let save_draft = draft.clone();
    let submit = move |again: bool| {
        if busy.get_untracked() {
            return;
        }
        let form = untrack(read);
        let activity = match form.validate(web::today()) {
            Ok(a) => a,
            Err(e) => {
                errors.set(e);
                show_first_error();
                return;
            }
        };
        errors.set(FieldErrors::default());
        busy.set(true);
        Recent { organiser: organiser.get_untracked(), activity_kind: kind.get_untracked(), ..Recent::load() }.save();
        let (id, navigate, draft) = (save_id.clone(), navigate.clone(), save_draft.clone());
        spawn_local(async move {
            match data::save(id, activity).await {
                Ok(r) => {
                    // A new activity's pictures are stored now that it has an id.
                    let pictures = photos::take_unsaved(unsaved);
                    let note = match pictures.len() {
                        0 => String::new(),
                        _ => match data::add_photos(&r.id, pictures).await {
                            Ok(n) => format!("，照片 {n} 张"),
                            Err(e) => format!("；照片没有保存：{e}"),
                        },
                    };
                    state.say(format!("已保存 {}{note}", r.body.theme));
                    state.changed();
                    if again {
                        // Keep kind, date, place and organiser; clear what differs each time.
                        for s in [
                            theme,
                            village,
                            audience,
                            beneficiaries,
                            leaflets,
                            slogans,
                            trainees,
                            talents,
                            self_employed,
                            income_raised,
                            notes,
                        ] {
                            s.set(String::new());
                        }
                        sessions.set("1".into());
                        picked.set(Vec::new());
                        hours.set(HashMap::new());
                        draft.finished().await;
                        busy.set(false);
                    } else {
                        draft.finished().await;
                        navigate("/log", Default::default());
                    }
                }
                Err(e) => {
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
        });
    };
    let on_submit = {
        let submit = submit.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            submit(false);
        }
    };

    let delete_id = id.clone();
    let delete_nav = use_navigate();
    let delete_draft = draft.clone();
    let on_delete = move |_| {
        let Some(id) = delete_id.clone() else { return };
        let (navigate, draft) = (delete_nav.clone(), delete_draft.clone());
        busy.set(true);
        spawn_local(async move {
            match data::set_deleted::<Activity>(&id, true).await {
                Ok(r) => {
                    draft.finished().await;
                    state.deleted::<Activity>(r.id, &r.body.theme);
                    navigate("/log", Default::default());
                }
                Err(e) => {
                    state.say(e.to_string());
                    busy.set(false);
                }
            }
        });
    };

    let number = move |label: &'static str, field: &'static str, value: RwSignal<String>| {
        view! { <TextInput label=label value=value error=error_of(field) kind="text" inputmode="numeric" name=field/> }
    };

    view! {
        <section class="page">
            <h1>{if editing { "编辑活动" } else { "记录活动" }}</h1>
            {draft.changed_notice(changed)}
            {draft.notice()}
            <form class="form" on:submit=on_submit novalidate>
                <p class="form-hint">"带 * 的为必填项"</p>
                <Field label="类型" required=true error=error_of("kind")>
                    <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        {ActivityKind::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                </Field>
                <TextInput label="主题" required=true value=theme error=error_of("theme") name="theme" placeholder="如：党史学习宣讲"/>
                <Field label="日期" required=true error=error_of("date")>
                    <input type="date" name="date" max=web::today().to_string()
                        prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                </Field>
                <TextInput label="乡镇（街道）" required=true value=township error=error_of("township") name="township"/>
                <TextInput label="村（社区）" value=village/>
                <Choices label="场所" name="venue" value=venue error=error_of("venue")
                    options=Venue::ALL.iter().map(|v| (v.key(), v.label())).collect()/>
                <label class="field">
                    <span class="field-label">"组织单位"</span>
                    <select aria-label="组织单位" prop:value=move || organiser.get() on:change=move |ev| organiser.set(event_target_value(&ev))>
                        <option value="">"（未指定）"</option>
                        // The options arrive after the select's value was set: each says whether it is the one.
                            {move || organisers().into_iter().map(|(id, n)| { let on = organiser.with_untracked(|v| *v == id); view! { <option value=id selected=on>{n}</option> } }).collect_view()}
                    </select>
                </label>
                <section class="group">
                    <h2>"参加的老干部"</h2>
                    <PersonPicker label="参加人员" candidates=candidates selected=picked error=error_of("participants")/>
                    {move || {
                        let missing = missing_members();
                        (!missing.is_empty()).then(|| {
                            let n = missing.len();
                            view! {
                                <button type="button" class="button small" data-test="add-members"
                                    on:click=move |_| picked.update(|v| v.extend(missing.iter().cloned()))>
                                    {format!("添加全部成员（{n}人）")}
                                </button>
                            }
                        })
                    }}
                    <TextInput label="默认每人时长（小时）" value=default_hours inputmode="decimal"/>
                    <ul class="plain hours">
                        {move || picked.get().into_iter().map(|p| {
                            let name = name_of(&p);
                            let key = p.clone();
                            view! {
                                <li><label class="inline">{format!("{name} 时长（小时）")}
                                    <input type="text" inputmode="decimal" class="short"
                                        prop:value=move || hours.with(|h| h.get(&p).cloned()).unwrap_or_else(|| default_hours.get())
                                        on:input=move |ev| { let v = event_target_value(&ev); hours.update(|h| { h.insert(key.clone(), v); }); }/>
                                </label></li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
                <section class="group numbers">
                    <h2>"数量"</h2>
                    {number("场次", "sessions", sessions)}
                    {number("受众/服务人次", "audience", audience)}
                    {number("受益人数", "beneficiaries", beneficiaries)}
                    {number("宣传册（份）", "leaflets", leaflets)}
                    {number("标语（条）", "slogans", slogans)}
                </section>
                <Show when=training>
                    <section class="group numbers">
                        <h2>"培训成效"</h2>
                        {number("培训人数", "trainees", trainees)}
                        {number("培养乡土人才", "talents", talents)}
                        {number("自主发展", "self_employed", self_employed)}
                        {number("增收人数", "income_raised", income_raised)}
                    </section>
                </Show>
                <ActivityPhotos activity=id.clone() unsaved=unsaved/>
                <TextArea label="备注" value=notes/>
                <div class="form-actions sticky">
                    <button type="submit" class="button primary" disabled=move || busy.get()>"保存"</button>
                    {(!editing).then(|| view! {
                        <button type="button" class="button" disabled=move || busy.get() on:click=move |_| submit(true)>"保存并继续"</button>
                    })}
                    {editing.then(|| view! {
                        <button type="button" class="button danger" disabled=move || busy.get() on:click=on_delete.clone()>"删除"</button>
                    })}
                </div>
            </form>
        </section>
    }
}
