//! Add or edit a person; soft delete with undo. Fields for widows, roles and the deceased
//! appear only where they apply.

use leptos::prelude::*;

use crate::domain::{Category, Gender, Org, OrgKind, Person, PersonForm, Role, WuLao};
use crate::storage::web;
use crate::ui::data;
use crate::ui::form::{bind, edit_page, field, id_choice, id_pick, save_record, Done, EditForm, Editor, Opening, ParamsMap};
use crate::ui::settings::Settings;
use crate::ui::widgets::{
    candidates, Check, Checks, Choices, Field, PersonPicker, RecordSelect, TextArea, TextInput, TownshipList,
};

#[component]
pub fn PersonEdit() -> impl IntoView {
    let new = |q: &ParamsMap| {
        let category = q.get("category").unwrap_or_default();
        let initial = PersonForm { township: Settings::load().township, category, ..PersonForm::default() };
        view! { <Editor open=Opening::new(initial) deleted=false/> }.into_any()
    };
    edit_page::<Person>(true, new, |r| {
        view! { <Editor open=Opening::of(&r, PersonForm::from_person) deleted=r.deleted/> }.into_any()
    })
}

fn keys<T: Copy>(items: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    items.iter().map(|&x| key(x)).collect()
}

#[component]
fn Editor(open: Opening<PersonForm>, deleted: bool) -> impl IntoView {
    let (form, ed, changed) = Editor::open::<Person, _>(open, "person", "人员", "name");
    let people = data::resource::<Person>();
    let orgs = data::resource::<Org>();
    let category = field!(form.category);
    let birth_date = field!(form.birth_date);
    let deceased = field!(form.deceased);
    let deceased_on = field!(form.deceased_on);
    let branch = id_choice(form, |f| &f.branch, |f| &mut f.branch);
    let spouse = id_pick(form, |f| &f.spouse, |f| &mut f.spouse);
    let wulao = bind(
        form,
        |f| keys(&f.wulao, WuLao::key),
        |f, v: Vec<&'static str>| f.wulao = v.into_iter().filter_map(WuLao::from_key).collect(),
    );
    let roles = bind(
        form,
        |f| keys(&f.roles, Role::key),
        |f, v: Vec<&'static str>| f.roles = v.into_iter().filter_map(Role::from_key).collect(),
    );
    let is_widow = move || category.with(|c| c == Category::Widow.key());

    // Widow(er)s link to a 离休 cadre, usually deceased.
    let lixiu = candidates(
        people,
        |p| p.category == Category::Lixiu,
        |p| format!("{} {}", p.township, if p.is_living() { "" } else { "已故" }),
    );
    let branches = move || {
        orgs.with(|r| {
            r.as_ref().and_then(|r| r.as_ref().ok()).map_or_else(Vec::new, |v| {
                v.iter()
                    .filter(|o| !o.deleted && o.body.kind == OrgKind::Branch)
                    .map(|o| (o.id.to_string(), o.body.name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };

    let save_id = ed.id();
    let on_save = move || {
        save_record(save_id.clone(), form.get_untracked().validate(web::today()), |r| {
            Done::leave(format!("已保存 {}", r.body.name), format!("/people/{}", r.id))
        })
    };

    view! {
        <section class="page">
            <h1>{if ed.editing() { "编辑人员" } else { "登记人员" }}</h1>
            {deleted.then(|| view! { <p class="warning">"此记录已删除。保存修改不会恢复它；请在名册的“已删除”中恢复。"</p> })}
            <TownshipList/>
            <EditForm editor=ed changed=changed on_save=on_save>
                <TextInput label="姓名" required=true value=field!(form.name) error=ed.error("name") name="name"/>
                <Choices label="性别" required=true name="gender" value=field!(form.gender) error=ed.error("gender")
                    options=Gender::ALL.iter().map(|g| (g.key(), g.label())).collect()/>
                <Choices label="类别" required=true name="category" value=category error=ed.error("category")
                    options=Category::ALL.iter().map(|c| (c.key(), c.label())).collect()/>
                <Field label="出生日期" required=true error=ed.error("birth_date")>
                    <input type="text" inputmode="numeric" name="birth_date" autocomplete="off" placeholder="如 19480312 或 1948-03-12"
                        prop:value=move || birth_date.get() on:input=move |ev| birth_date.set(event_target_value(&ev))/>
                </Field>
                <TextInput label="乡镇（街道）" required=true value=field!(form.township) error=ed.error("township") list="townships" name="township"/>
                <TextInput label="村（社区）" value=field!(form.village) error=ed.error("village")/>
                <TextInput label="联系电话" value=field!(form.phone) error=ed.error("phone") kind="tel" inputmode="tel"/>
                <Show when=is_widow>
                    <section class="group">
                        <h2>"遗孀信息"</h2>
                        <PersonPicker label="已故离休干部" candidates=lixiu selected=spouse multiple=false/>
                        <Check label="无工作（无工作收入）" value=field!(form.no_work_income)/>
                    </section>
                </Show>
                <section class="group">
                    <h2>"工作与党组织"</h2>
                    <TextInput label="原工作单位" value=field!(form.former_unit) error=ed.error("former_unit")/>
                    <TextInput label="原职务" value=field!(form.post) error=ed.error("post")/>
                    <Check label="中共党员" value=field!(form.party_member)/>
                    <RecordSelect label="所属党支部" none="（未编入支部）" value=branch options=Signal::derive(branches)/>
                </section>
                <section class="group">
                    <h2>"志愿服务"</h2>
                    <Checks label="五老" value=wulao options=WuLao::ALL.iter().map(|w| (w.key(), w.label())).collect()/>
                    <Checks label="角色" value=roles options=Role::ALL.iter().map(|r| (r.key(), r.label())).collect()/>
                    <TextInput label="专长（教师填写授课方向）" value=field!(form.specialties) error=ed.error("specialties") placeholder="如：政策、健康、园艺"/>
                </section>
                <section class="group">
                    <h2>"其他"</h2>
                    <TextInput label="身份证号（选填）" value=field!(form.id_number) error=ed.error("id_number") name="id_number"/>
                    <TextArea label="健康状况" value=field!(form.health) error=ed.error("health")/>
                    <Check label="已去世" value=deceased/>
                    <Show when=move || deceased.get()>
                        <Field label="去世日期" error=ed.error("deceased_on")>
                            <input type="text" inputmode="numeric" name="deceased_on" autocomplete="off" placeholder="如 20240105"
                                prop:value=move || deceased_on.get() on:input=move |ev| deceased_on.set(event_target_value(&ev))/>
                        </Field>
                    </Show>
                </section>
            </EditForm>
        </section>
    }
}
