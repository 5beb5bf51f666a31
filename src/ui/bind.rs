//! Lenses for forms: an input bound to one field of a form held in one signal ([`bind`],
//! [`field!`]), or to a signal of its own (`From<RwSignal>`). Apart from the form kit
//! (`form.rs`) because the widgets take a [`Bind`] and the kit uses the widgets.

use leptos::prelude::*;

use crate::domain::RecordId;

/// One value an input reads and writes: a field of a form (through [`bind`]) or a signal of
/// its own.
pub struct Bind<T: Send + Sync + 'static> {
    get: Signal<T>,
    set: SignalSetter<T>,
}

impl<T: Send + Sync + 'static> Clone for Bind<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Bind<T> {}

impl<T: Clone + Send + Sync + 'static> Bind<T> {
    /// A value read one way and written another (an input whose writes do more than store).
    pub fn new(get: impl Into<Signal<T>>, set: impl Fn(T) + Send + Sync + 'static) -> Self {
        Bind { get: get.into(), set: SignalSetter::map(set) }
    }

    pub fn get(&self) -> T {
        self.get.get()
    }

    pub fn get_untracked(&self) -> T {
        self.get.get_untracked()
    }

    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.get.with(f)
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.get.with_untracked(f)
    }

    pub fn set(&self, value: T) {
        self.set.set(value)
    }

    pub fn update(&self, f: impl FnOnce(&mut T)) {
        let mut value = self.get_untracked();
        f(&mut value);
        self.set(value);
    }
}

impl<T: Clone + Send + Sync + 'static> From<RwSignal<T>> for Bind<T> {
    fn from(signal: RwSignal<T>) -> Self {
        Bind { get: signal.into(), set: signal.write_only().into() }
    }
}

/// A lens onto one field of the form in `form`: reading it tracks only that field's value (a
/// memo), writing it changes only that field.
pub fn bind<F, T>(
    form: RwSignal<F>,
    get: impl Fn(&F) -> T + Send + Sync + 'static,
    set: impl Fn(&mut F, T) + Send + Sync + 'static,
) -> Bind<T>
where
    F: Send + Sync + 'static,
    T: Clone + PartialEq + Send + Sync + 'static,
{
    bind_boxed(form, Box::new(get), Box::new(set))
}

type Getter<F, T> = Box<dyn Fn(&F) -> T + Send + Sync>;
type Setter<F, T> = Box<dyn Fn(&mut F, T) + Send + Sync>;

/// [`bind`]'s body, one copy per form and value type rather than one per field: each field's
/// closures differ in type, and the field chunk would carry a copy of this for every input.
fn bind_boxed<F, T>(form: RwSignal<F>, get: Getter<F, T>, set: Setter<F, T>) -> Bind<T>
where
    F: Send + Sync + 'static,
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Bind {
        get: Memo::new(move |_| form.with(|f| get(f))).into(),
        set: SignalSetter::map(move |v| form.update(|f| set(f, v))),
    }
}

/// A form's link to one record (`Option<RecordId>`) as a select's value, "" for none.
pub fn id_choice<F: Send + Sync + 'static>(
    form: RwSignal<F>,
    get: fn(&F) -> &Option<RecordId>,
    set: fn(&mut F) -> &mut Option<RecordId>,
) -> Bind<String> {
    bind(
        form,
        move |f| get(f).as_ref().map(ToString::to_string).unwrap_or_default(),
        move |f, v: String| *set(f) = RecordId::parse(&v).ok(),
    )
}

/// The same link as a one-person picker's list.
pub fn id_pick<F: Send + Sync + 'static>(
    form: RwSignal<F>,
    get: fn(&F) -> &Option<RecordId>,
    set: fn(&mut F) -> &mut Option<RecordId>,
) -> Bind<Vec<RecordId>> {
    bind(form, move |f| get(f).iter().cloned().collect(), move |f, v: Vec<RecordId>| *set(f) = v.into_iter().next())
}

/// `field!(form.name)`: the lens onto a field whose type the input uses as it is.
macro_rules! field {
    ($form:ident . $name:ident) => {
        $crate::ui::bind::bind($form, |f| f.$name.clone(), |f, v| f.$name = v)
    };
}
pub(crate) use field;
